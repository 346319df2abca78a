// @teleport-actions/application-proxy 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as o,b as t,c as i,e as r}from"./chunks/chunk-L5HQG6D3.mjs";import"./chunks/chunk-NO7IOU6I.mjs";import"./chunks/chunk-KEYKZJRL.mjs";import"./chunks/chunk-H7BVEVI7.mjs";var p={name:"@teleport-actions/application-proxy",version:"1.0.0"};await o(t(),"application-proxy",n=>r(n,i(p.version)));
