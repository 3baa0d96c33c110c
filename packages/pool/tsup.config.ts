import { weftBuild } from '../../tsup.base';

export default weftBuild(['src/index.ts', 'src/worker.ts']);
