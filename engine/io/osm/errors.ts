/** A problem with an OSM input that ends the import: one line, naming the file and, where known, the line or byte. */
export class OsmImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OsmImportError';
  }
}
