// @teleport-actions/database-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as a,c as b,d as c}from"./chunk-6YQH4EPC.mjs";import"./chunk-REQQEZ4Y.mjs";import"./chunk-QE53PDLE.mjs";import"./chunk-VGTNJRUJ.mjs";import"./chunk-VFR5FVWX.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
