// @teleport-actions/auth-application 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as a,c as b,d as c}from"./chunk-LQLNMUI3.mjs";import"./chunk-ZWR67RUT.mjs";import"./chunk-DU2GZGY4.mjs";import"./chunk-SMHWGB6W.mjs";import"./chunk-GROL5YQM.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
