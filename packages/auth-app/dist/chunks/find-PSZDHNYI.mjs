// @teleport-actions/auth-app 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-JYXH7DTA.mjs";import"./chunk-C2LIPUIL.mjs";import"./chunk-Z7VPPDLP.mjs";import"./chunk-KKDSDGY6.mjs";import"./chunk-XJDSVW3W.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
