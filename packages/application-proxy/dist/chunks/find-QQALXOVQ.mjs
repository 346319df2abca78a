// @teleport-actions/application-proxy 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-HH4OTS6P.mjs";import"./chunk-Y6TSOYDJ.mjs";import"./chunk-APL57JSZ.mjs";import"./chunk-FMMZWFPC.mjs";import"./chunk-EYDJB2RP.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
