import { weftBuild } from '../../tsup.base.ts';

// The worker command is a file of its own (the package's `bin`).
export default weftBuild(['src/index.ts', 'src/worker-cli.ts']);
