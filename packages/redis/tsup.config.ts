import { weftBuild } from '../../tsup.base.ts';

export default weftBuild();
