import { weftBuild } from '../../tsup.base.ts';

export default weftBuild(['src/index.ts', 'src/server-thread.ts', 'src/sync-helper.ts']);
