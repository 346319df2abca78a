// @teleport-actions/auth-k8s 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as a,c as b,d as c}from"./chunk-ICDPHVMF.mjs";import"./chunk-YLKDOLIV.mjs";import"./chunk-ASILI4AY.mjs";import"./chunk-4722YLKH.mjs";import"./chunk-J5OUCA35.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
