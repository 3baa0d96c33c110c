import { weftBuild } from '../../tsup.base.ts';

// keepNames: the bundler would otherwise rename classes (`_Lock`), and class names show in errors and toString.
export default weftBuild(['src/index.ts'], { keepNames: true });
