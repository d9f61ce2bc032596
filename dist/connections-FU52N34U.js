import {
  progress,
  runKeysGenerate,
  runKeysRotate,
  runRefreshTokens,
  withConnections,
} from './chunk-IQ2SJ6FF.js';
import './chunk-6W4WS6LQ.js';
import './chunk-GBRXWDP4.js';
import './chunk-YPT27EPG.js';
import './chunk-KYBJ2MGV.js';
import './chunk-JFRFXCQY.js';
import './chunk-MAMGE6RR.js';
export { progress, runKeysGenerate, runKeysRotate, runRefreshTokens, withConnections };
//# sourceMappingURL=connections-FU52N34U.js.map
