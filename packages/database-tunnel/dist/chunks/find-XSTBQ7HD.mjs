// @teleport-actions/database-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-LJGANEUA.mjs";import"./chunk-UW736VUC.mjs";import"./chunk-SYFCM5BX.mjs";import"./chunk-VGTNJRUJ.mjs";import"./chunk-VFR5FVWX.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
