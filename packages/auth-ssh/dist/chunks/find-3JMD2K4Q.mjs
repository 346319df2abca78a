// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as a,c as b,d as c}from"./chunk-HXUMPJT4.mjs";import"./chunk-5KM3FUWX.mjs";import"./chunk-ISOCBDHV.mjs";import"./chunk-GTFMFQP2.mjs";import"./chunk-YNG24QUC.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
