// @teleport-actions/auth-app 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as a,c as b,d as c}from"./chunk-MOGUTISX.mjs";import"./chunk-NXA6C23F.mjs";import"./chunk-XE4AF724.mjs";import"./chunk-KKDSDGY6.mjs";import"./chunk-XJDSVW3W.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
