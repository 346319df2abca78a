// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as a,c as b,d as c}from"./chunk-K3YQRAEX.mjs";import"./chunk-ZS3SWYMO.mjs";import"./chunk-RUS642UO.mjs";import"./chunk-HSNHITIM.mjs";import"./chunk-ZXWZKVGS.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
