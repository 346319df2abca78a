// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-UUKW7V7G.mjs";import"./chunk-NNPZRAVI.mjs";import"./chunk-7SM42RIW.mjs";import"./chunk-GTFMFQP2.mjs";import"./chunk-YNG24QUC.mjs";export{c as findCluster,b as parseFindResponse,a as parseReportedVersion};
