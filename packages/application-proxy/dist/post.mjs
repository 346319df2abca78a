// @teleport-actions/application-proxy 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as o,d as r}from"./chunks/chunk-L5HQG6D3.mjs";import"./chunks/chunk-NO7IOU6I.mjs";import"./chunks/chunk-KEYKZJRL.mjs";import"./chunks/chunk-H7BVEVI7.mjs";await t(o(),"application-proxy (cleanup)",r);
