// src/metrics/helpdesks.ts
var PROVIDER_IDS = ['intercom', 'front', 'plain', 'zendesk'];

export { PROVIDER_IDS };
//# sourceMappingURL=chunk-YPT27EPG.js.map
