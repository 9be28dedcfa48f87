import type { IndexedTrack } from '../../../domain/search';
import { searchTerms } from '../../../domain/search-text';
import { CatalogAggregates } from './catalog-aggregates';
import { buildColumns, CatalogTables } from './catalog-tables';

/**
 * The catalog as a writer changes it: tracks by id, with their albums and artists. Turned into
 * columns (`build`) when it is next searched or published; the folded words of every text are
 * kept between builds, so a rebuild after adding a batch folds only the batch's new texts.
 */
export class EditableCatalog {
  readonly tracks = new Map<string, IndexedTrack>();
  private readonly aggregates = new CatalogAggregates(this.tracks);
  private words = new Map<string, readonly string[]>();

  /** The catalog of loaded columns, made editable (a writer that loaded a snapshot). */
  static from(tables: CatalogTables): EditableCatalog {
    const catalog = new EditableCatalog();
    for (const track of tables.allTracks()) {
      catalog.tracks.set(track.id, track);
      catalog.aggregates.add(track);
    }
    // Re-adding tracks in order may pick another album artist than the one first seen; keep the published one.
    for (const album of tables.allAlbums()) {
      const entry = catalog.aggregates.albums.get(album.id);
      if (entry) Object.assign(entry.album, album);
    }
    for (let text = 0; text < tables.columns.texts.length; text++) catalog.words.set(tables.text(text), tables.wordsOf(text));
    return catalog;
  }

  upsert(tracks: readonly IndexedTrack[]): void {
    for (const track of tracks) {
      const old = this.tracks.get(track.id);
      if (old) this.forget(old);
      this.tracks.set(track.id, track);
      this.aggregates.add(track);
    }
  }

  remove(trackIds: readonly string[]): void {
    for (const id of trackIds) {
      const old = this.tracks.get(id);
      if (old) this.forget(old);
    }
  }

  build(): CatalogTables {
    const known = this.words;
    const words = new Map<string, readonly string[]>();
    const wordsOf = (text: string) => {
      const found = known.get(text) ?? searchTerms(text);
      words.set(text, found);
      return found;
    };
    const columns = buildColumns(
      [...this.tracks.values()],
      Array.from(this.aggregates.albums.values(), (entry) => entry.album),
      Array.from(this.aggregates.artists.values(), (entry) => entry.artist),
      wordsOf,
    );
    // Only texts still in use stay cached.
    this.words = words;
    return new CatalogTables(columns);
  }

  private forget(track: IndexedTrack): void {
    this.tracks.delete(track.id);
    this.aggregates.remove(track);
  }
}
