/** Sharing the case: a read-only link to its page, cancelling old links, and the Markdown export. */
import { renderCaseFiles, renderCaseMarkdown } from '../markdown';
import { safeFileName } from './import-case';
import { said } from '../said';
import { error, notice, type Handlers, type Kit } from './kit';

const SHARE_SETTINGS = {
  PUBLIC_URL: 'PUBLIC_URL (the address people reach this bot at, such as https://decisions.example.org)',
  SHARE_SECRET: 'SHARE_SECRET (a random secret of at least 16 characters)',
} as const;

/** What `share` answers when links cannot be made: exactly which settings are missing. */
export function sharingOff(missing: Array<keyof typeof SHARE_SETTINGS> = ['PUBLIC_URL', 'SHARE_SECRET']): string {
  const names = (missing.length > 0 ? missing : (['PUBLIC_URL', 'SHARE_SECRET'] as const)).map((m) => SHARE_SETTINGS[m]);
  return `Sharing is not set up here. Ask whoever runs the bot to set ${names.join(' and ')}.`;
}

/** A file name from a title: lower case, hyphens, nothing else. */
export function slug(title: string): string {
  const s = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return s === '' ? 'business-case' : s;
}

export function sharingHandlers(kit: Kit): Pick<Handlers, 'share' | 'export'> {
  const { deps } = kit;
  return {
    async share(ctx, { revoke }) {
      const shareUrl = deps.shareUrl;
      if (!shareUrl) return error(sharingOff(deps.shareMissing));
      // A link names a case, so sharing is a write: it makes the case when there is none yet.
      return kit.write(ctx, (draft) => {
        if (revoke) {
          draft.setCase({ shareVersion: draft.case.shareVersion + 1 });
          return notice(said`${ctx.actor} cancelled every earlier link to this case.`);
        }
        const url = shareUrl(draft.case);
        if (!url) return error(sharingOff(deps.shareMissing));
        return { kind: 'share', visibility: 'caller', caseId: draft.case.id, url, summary: `Anyone with this link can read the case: ${url}` };
      });
    },

    async export(ctx) {
      const { draft } = await kit.read(ctx);
      const c = draft.case;
      const markdown = renderCaseMarkdown(draft.snapshot());
      const shared = draft.readVersion !== null;
      const url = shared ? deps.shareMarkdownUrl?.(c) ?? null : null;
      const filename = `${slug(c.title ?? 'business-case')}.md`;
      // The team's own files: two when it keeps its key decisions apart, under their own names.
      const parts = renderCaseFiles(draft.snapshot(), c.layout.fileName ?? filename);
      const files = parts.length === 1
        ? [{ name: parts[0]?.name ?? filename, markdown, url }]
        : parts.map((f, i) => ({ name: safeFileName(f.name), markdown: f.markdown, url: shared ? deps.shareMarkdownUrl?.(c, i + 1) ?? null : null }));
      const what = files.length === 1 ? `The business case as Markdown (${markdown.length.toLocaleString('en-GB')} characters).` : `The business case as its ${files.length} Markdown files: ${files.map((f) => f.name).join(' and ')}.`;
      return { kind: 'export', visibility: 'caller', caseId: c.id, markdown, filename, url, files, describes: 'the business case', summary: what };
    },
  };
}
