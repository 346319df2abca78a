// @teleport-actions/application-proxy 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as o,b as t,c as i,e as r}from"./chunks/chunk-SLKX75IM.mjs";import"./chunks/chunk-C3JH5CSQ.mjs";import"./chunks/chunk-NBGDPE5Q.mjs";import"./chunks/chunk-HNJUEXAY.mjs";import"./chunks/chunk-FMMZWFPC.mjs";import"./chunks/chunk-EYDJB2RP.mjs";var p={name:"@teleport-actions/application-proxy",version:"1.0.0"};await o(t(),"application-proxy",n=>r(n,i(p.version)));
