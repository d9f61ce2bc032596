import {
  resolveWorkspace,
  runApiKeyCreate,
  runApiKeyList,
  runApiKeyRevoke,
  runWorkspaceCreate,
} from './chunk-RJENAUR4.js';
import './chunk-WD5DCS6Y.js';
import './chunk-YP73SNSN.js';
import './chunk-KYBJ2MGV.js';
import './chunk-JFRFXCQY.js';
export { resolveWorkspace, runApiKeyCreate, runApiKeyList, runApiKeyRevoke, runWorkspaceCreate };
//# sourceMappingURL=identity-DBKGKPIC.js.map
