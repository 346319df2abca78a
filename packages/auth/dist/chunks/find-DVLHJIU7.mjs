// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-EKQA7YQD.mjs";import"./chunk-YGNWWNG3.mjs";import"./chunk-I3QX2JBV.mjs";import"./chunk-HSNHITIM.mjs";import"./chunk-ZXWZKVGS.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
