/**
 * Writes an imported scenario as YAML a person can read and diff: scalar settings in block
 * style, and every node, edge, connection, trip, detector and vehicle type on one line of its own. A
 * header comment says where it came from and lists the import warnings.
 */
import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';

export function scenarioYaml(scenario: object, header: readonly string[]): string {
  const doc = new Document(scenario, { aliasDuplicateObjects: false });
  visit(doc, {
    Map(_key, node, path) {
      const parent = path[path.length - 1];
      const grand = path[path.length - 2];
      // items of lists, and the entries of vehicleTypes, are one line each
      // (a demand entry holding a list of trips stays a block: one trip per line inside it)
      const inList = isSeq(parent) && !node.items.some((p) => keyIs(p, 'trips'));
      const isTypeEntry = isPair(parent) && isMap(grand) && path.length >= 4 && isPair(path[path.length - 3]) && keyIs(path[path.length - 3], 'vehicleTypes');
      if (inList || isTypeEntry) node.flow = true;
    },
    Seq(_key, node, path) {
      const parent = path[path.length - 1];
      // short lists inside one-line items (shapes, via, links) stay on that line
      if (!(isPair(parent) && (keyIs(parent, 'nodes') || keyIs(parent, 'edges') || keyIs(parent, 'connections') || keyIs(parent, 'trips') || keyIs(parent, 'demand') || keyIs(parent, 'detectors') || keyIs(parent, 'program'))))
        node.flow = true;
    },
  });
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

function keyIs(pair: unknown, name: string): boolean {
  return isPair(pair) && isScalar(pair.key) && pair.key.value === name;
}
