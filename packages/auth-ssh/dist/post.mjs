import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-2MJ2T56N.mjs";await r(t(),"auth-ssh (cleanup)",o);
