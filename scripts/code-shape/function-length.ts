// Long functions (#12): every function, method, accessor and arrow of a file whose text, from its first token
// (after any doc comment) to its closing brace, spans more lines than allowed, named the way a reader finds it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface LongFunction {
  /** project path, '/' separators */
  file: string;
  /** 'name', 'Class.method', or 'outer → callback of app.get' for an unnamed function */
  name: string;
  /** 1-based line of the function's first token */
  line: number;
  lines: number;
}

type FunctionNode = ts.FunctionLikeDeclaration & { body: ts.Node };

function isFunctionWithBody(node: ts.Node): node is FunctionNode {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node)) &&
    node.body !== undefined
  );
}

function propertyName(name: ts.PropertyName | ts.BindingName, source: ts.SourceFile): string {
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)
    ? name.text
    : name.getText(source);
}

/** The class or object literal a member belongs to, as its name ('' when it has none). */
function holderName(member: ts.Node, source: ts.SourceFile): string {
  const holder = member.parent;
  if (ts.isClassLike(holder)) return holder.name ? holder.name.text : '<class>';
  if (ts.isObjectLiteralExpression(holder)) {
    const owner = holder.parent;
    if (owner && ts.isVariableDeclaration(owner)) return propertyName(owner.name, source);
  }
  return '';
}

function qualified(holder: string, name: string): string {
  return holder === '' ? name : `${holder}.${name}`;
}

/** The name a function has where it is declared, or null for a callback or other unnamed function. */
function declaredName(node: FunctionNode, source: ts.SourceFile): string | null {
  if (ts.isConstructorDeclaration(node)) return qualified(holderName(node, source), 'constructor');
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name) return node.name.text;
  if (
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  ) {
    return qualified(holderName(node, source), propertyName(node.name, source));
  }
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent)) return propertyName(parent.name, source);
  if (ts.isPropertyDeclaration(parent))
    return qualified(holderName(parent, source), propertyName(parent.name, source));
  if (ts.isPropertyAssignment(parent))
    return qualified(holderName(parent, source), propertyName(parent.name, source));
  return null;
}

/** An unnamed function: the function around it and the call it is passed to. */
function callbackName(node: FunctionNode, enclosing: string, source: ts.SourceFile): string {
  const parent = node.parent;
  const call = ts.isCallExpression(parent) ? `callback of ${parent.expression.getText(source)}` : 'function';
  return enclosing === '' ? call : `${enclosing} → ${call}`;
}

/** The functions of one file longer than maxLines, outermost first. */
export function longFunctions(root: string, file: string, maxLines: number): LongFunction[] {
  const text = readFileSync(join(root, file), 'utf8');
  const kind = file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: LongFunction[] = [];
  const walk = (node: ts.Node, enclosing: string): void => {
    let inside = enclosing;
    if (isFunctionWithBody(node)) {
      const name = declaredName(node, source) ?? callbackName(node, enclosing, source);
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > maxLines) found.push({ file, name, line: first + 1, lines });
      inside = name;
    }
    ts.forEachChild(node, (child) => walk(child, inside));
  };
  walk(source, '');
  return found;
}
