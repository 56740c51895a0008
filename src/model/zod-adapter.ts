/**
 * What the model takes from zod beyond its public API: the schema's definition (`.def`), walked to
 * find the field names an object allows at a JSON path, for the "unknown field, did you mean"
 * hint. zod 4 has no public call for "the schema at this path"; the definition's `innerType`
 * (optional, default, nullable …), `element` (array) and `shape` (object) are read here and
 * nowhere else. test/zod-adapter.test.ts checks them on a schema of its own and on the report
 * schema, so a zod that changes them fails there, not as hints that quietly vanish.
 */
import type { z } from 'zod';

type Def = { innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/**
 * The field names the schema allows in the object at a path (array indexes as numbers); none
 * when the path leads to no object schema.
 */
export function knownKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = root;
  const unwrap = () => {
    while (schema && defOf(schema).innerType) schema = defOf(schema).innerType;
  };
  unwrap();
  for (const seg of path) {
    if (!schema) return [];
    const def = defOf(schema);
    schema = typeof seg === 'number' ? def.element : def.shape?.[String(seg)];
    unwrap();
  }
  return schema ? Object.keys(defOf(schema).shape ?? {}) : [];
}
