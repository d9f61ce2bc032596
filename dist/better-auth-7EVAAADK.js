import { MIN_PASSWORD_LENGTH, createAuth } from './chunk-YP73SNSN.js';
export { MIN_PASSWORD_LENGTH, createAuth };
//# sourceMappingURL=better-auth-7EVAAADK.js.map
