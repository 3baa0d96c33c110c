import { weftBuild } from '../../tsup.base.ts';

export default weftBuild(['src/index.ts', 'src/worker.ts']);
