// @teleport-actions/auth-application 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-4LXIGDWG.mjs";import"./chunk-DO53D4UJ.mjs";import"./chunk-CHASYYA5.mjs";import"./chunk-SMHWGB6W.mjs";import"./chunk-GROL5YQM.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
