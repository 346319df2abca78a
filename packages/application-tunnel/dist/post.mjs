// @teleport-actions/application-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as n,d as o}from"./chunks/chunk-OY7AEFJI.mjs";import"./chunks/chunk-GKF445UW.mjs";import"./chunks/chunk-HCNZIS6H.mjs";import"./chunks/chunk-3WRFRPYK.mjs";await t(n(),"application-tunnel (cleanup)",o);
