import { html as diff2html } from "diff2html";
import hljs from "highlight.js";

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#x27;": "'",
  "&#39;": "'",
  "&#x2F;": "/",
};
const decodeEntities = (s: string) => s.replace(/&(amp|lt|gt|quot|#x27|#39|#x2F);/g, (e) => ENTITIES[e] ?? e);

/**
 * A unified diff as HTML: diff2html's line-by-line view, each code line syntax-highlighted by highlight.js
 * in the language of its file (diff2html's data-lang); files in a language it does not know stay plain.
 * Word-level marks give way to the highlighting (the whole line is still marked added or deleted).
 */
export function renderDiff(diff: string): string {
  const rendered = diff2html(diff, { drawFileList: true, outputFormat: "line-by-line", matching: "none" });
  const parts = rendered.split(/(?=<div id="d2h-\d+" class="d2h-file-wrapper")/);
  return parts
    .map((part) => {
      const lang = /^<div id="d2h-\d+" class="d2h-file-wrapper" data-lang="([\w+-]*)"/.exec(part)?.[1];
      if (!lang || !hljs.getLanguage(lang)) return part;
      return part.replace(
        /(<span class="d2h-code-line-ctn">)([\s\S]*?)(<\/span>)/g,
        (_m, open: string, body: string, close: string) =>
          open +
          hljs.highlight(decodeEntities(body.replace(/<\/?(ins|del)>/g, "")), {
            language: lang,
            ignoreIllegals: true,
          }).value +
          close,
      );
    })
    .join("");
}
