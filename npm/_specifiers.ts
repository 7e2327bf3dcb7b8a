/**
 * A TypeScript transformer that rewrites module specifiers (import/export declarations, `import()`
 * calls and `import("…")` types), and a reader of the specifiers an emitted file imports.
 *
 * @module
 */
import ts from "typescript";

/** Maps one specifier of `file` (an absolute path) to the one to emit. */
export type SpecifierMap = (specifier: string, file: string) => string;

/** A transformer factory that applies `map` to every module specifier of a file. */
export function rewriteSpecifiers(
  map: SpecifierMap,
): ts.TransformerFactory<ts.SourceFile | ts.Bundle> {
  return (context) => {
    const f = context.factory;
    const transformFile = (file: ts.SourceFile): ts.SourceFile => {
      const literal = (node: ts.Expression): ts.StringLiteral | undefined => {
        if (!ts.isStringLiteral(node)) return undefined;
        const next = map(node.text, file.fileName);
        return next === node.text ? undefined : f.createStringLiteral(next);
      };
      const visit = (node: ts.Node): ts.Node => {
        if (ts.isImportDeclaration(node)) {
          const spec = literal(node.moduleSpecifier);
          if (spec) {
            return f.updateImportDeclaration(
              node,
              node.modifiers,
              node.importClause,
              spec,
              node.attributes,
            );
          }
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
          const spec = literal(node.moduleSpecifier);
          if (spec) {
            return f.updateExportDeclaration(
              node,
              node.modifiers,
              node.isTypeOnly,
              node.exportClause,
              spec,
              node.attributes,
            );
          }
        } else if (
          ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword &&
          node.arguments.length > 0
        ) {
          const spec = literal(node.arguments[0]);
          if (spec) {
            return f.updateCallExpression(node, node.expression, node.typeArguments, [
              spec,
              ...node.arguments.slice(1),
            ]);
          }
        } else if (
          ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)
        ) {
          const spec = literal(node.argument.literal as ts.Expression);
          if (spec) {
            return f.updateImportTypeNode(
              node,
              f.createLiteralTypeNode(spec),
              node.attributes,
              node.qualifier,
              node.typeArguments,
              node.isTypeOf,
            );
          }
        }
        return ts.visitEachChild(node, visit, context);
      };
      return ts.visitEachChild(file, visit, context);
    };
    return (node) =>
      ts.isBundle(node)
        ? f.updateBundle(node, node.sourceFiles.map(transformFile))
        : transformFile(node);
  };
}

/** `./x.ts` → `./x.js` for a relative specifier; anything else unchanged. */
export function tsToJs(specifier: string): string {
  if (!/^\.\.?\//.test(specifier)) return specifier;
  if (specifier.endsWith(".d.ts")) return specifier;
  return specifier.replace(/\.([cm]?)ts$/, ".$1js").replace(/\.tsx$/, ".js");
}

/** The module specifiers an emitted `.js` or `.d.ts` file imports (comments and strings skipped). */
export function importsOf(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return [
    ...info.importedFiles.map((r) => r.fileName),
    ...info.referencedFiles.map((r) => `/// <reference path="${r.fileName}" />`),
    ...info.typeReferenceDirectives.map((r) => `/// <reference types="${r.fileName}" />`),
    ...info.libReferenceDirectives.map((r) => `/// <reference lib="${r.fileName}" />`),
  ];
}
