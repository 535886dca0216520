/// <reference types="vite-plugin-pwa/client" />
/** The build's id (git describe, or BUILD_ID), set by vite.config.ts. */
declare const __BUILD_ID__: string;
