// @teleport-actions/application-proxy 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a}from"./chunk-S6ORG7L2.mjs";import"./chunk-EYDJB2RP.mjs";export default a();
