import { weftBuild } from '../../tsup.base.ts';

// bridge-worker is the sync bridge's helper thread: loaded by path at run time, so a file of its own.
export default weftBuild(['src/index.ts', 'src/bridge-worker.ts']);
