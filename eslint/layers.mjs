/**
 * The layers' import rule. Each import is resolved to a path from the project's root (or
 * read as a package name) before it is matched, so `../../store/sqlite` from any depth of
 * src/core is caught, where relative patterns match only from one folder.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `src/store/sqlite/x` is under `src/store`; a pattern ending in `*` matches a package prefix. */
const under = (target, area) => target === area || target.startsWith(`${area}/`);
const packageMatches = (name, pattern) =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern || name.startsWith(`${pattern}/`);

/** What an import names: a path from the root for a relative one, else the package's name. */
function resolveImport(filename, source) {
  if (source.startsWith('.') || path.isAbsolute(source)) {
    const full = path.resolve(path.dirname(filename), source);
    return { kind: 'path', target: path.relative(ROOT, full).split(path.sep).join('/').replace(/\.(?:ts|js|mjs)$/, '') };
  }
  return { kind: 'package', target: source.replace(/^node:/, '') };
}

function check(context, node, source) {
  if (typeof source !== 'string') return;
  const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
  const found = resolveImport(context.filename, source);
  for (const layer of context.options[0]?.layers ?? []) {
    if (!layer.files.some((area) => under(file, area))) continue;
    if ((layer.except ?? []).some((area) => under(file, area))) continue;
    const hit = found.kind === 'path'
      ? (layer.forbid ?? []).find((area) => under(found.target, area) && !(layer.allow ?? []).some((ok) => under(found.target, ok)))
      : (layer.packages ?? []).find((pattern) => packageMatches(found.target, pattern));
    if (hit !== undefined) {
      context.report({ node, messageId: 'crossed', data: { layer: layer.name, target: found.target, why: layer.why } });
      return;
    }
  }
}

const imports = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps each layer from importing the layers it must not know.' },
    schema: [{ type: 'object', properties: { layers: { type: 'array' } }, additionalProperties: false }],
    messages: { crossed: '{{layer}} must not import {{target}}: {{why}}' },
  },
  create(context) {
    const fromLiteral = (node, src) => src && src.type === 'Literal' && check(context, node, src.value);
    return {
      ImportDeclaration: (node) => fromLiteral(node, node.source),
      ExportNamedDeclaration: (node) => fromLiteral(node, node.source),
      ExportAllDeclaration: (node) => fromLiteral(node, node.source),
      ImportExpression: (node) => fromLiteral(node, node.source),
      TSImportType: (node) => fromLiteral(node, node.argument?.literal ?? node.argument),
      TSExternalModuleReference: (node) => fromLiteral(node, node.expression),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') fromLiteral(node, node.arguments[0]);
      },
    };
  },
};

export default { rules: { imports } };
