// The layout engine on its own: built to static/elk.js and sent by the kernel when a page first lays out a board
// (see layout.js), so that opening an editor does not load 1.4 MB of ELK.
export { default } from "elkjs/lib/elk.bundled.js";
