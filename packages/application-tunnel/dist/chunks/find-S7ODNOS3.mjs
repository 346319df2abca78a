// @teleport-actions/application-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as a,c as b,d as c}from"./chunk-BX6MSPZ5.mjs";import"./chunk-SUO3U6UV.mjs";import"./chunk-PVJKAINY.mjs";import"./chunk-F5GD52W4.mjs";import"./chunk-6RML7ZB6.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
