// @teleport-actions/auth-k8s 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-YIWTY3ON.mjs";import"./chunk-NFV3YLNS.mjs";import"./chunk-GVDCZPXL.mjs";import"./chunk-4722YLKH.mjs";import"./chunk-J5OUCA35.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
