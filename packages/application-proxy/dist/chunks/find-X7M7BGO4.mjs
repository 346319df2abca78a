// @teleport-actions/application-proxy 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as a,c as b,d as c}from"./chunk-BMJAO62C.mjs";import"./chunk-HNJUEXAY.mjs";import"./chunk-P7OKAT3Q.mjs";import"./chunk-FMMZWFPC.mjs";import"./chunk-EYDJB2RP.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
