// @teleport-actions/application-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as n,d as o}from"./chunks/chunk-XF6BRNAK.mjs";await n(t(),"application-tunnel (cleanup)",o);
