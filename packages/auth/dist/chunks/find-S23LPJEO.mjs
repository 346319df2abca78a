// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-5V4GSUJH.mjs";import"./chunk-BURBFEK6.mjs";import"./chunk-I3QX2JBV.mjs";import"./chunk-HSNHITIM.mjs";import"./chunk-ZXWZKVGS.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
