// @teleport-actions/application-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-QMYFG5ES.mjs";import"./chunk-33J5TQMT.mjs";import"./chunk-HS6HKHL4.mjs";import"./chunk-F5GD52W4.mjs";import"./chunk-6RML7ZB6.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
