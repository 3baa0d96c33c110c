import { weftBuild } from '../../tsup.base';

export default weftBuild();
