/** The demo catalog: fictional artists whose albums are synthesized on first start. */
export interface DemoAlbum {
  artist: string;
  album: string;
  year: number;
  genre: string;
  /** Hue of the generated cover. */
  hue: number;
  tracks: string[];
}

export const demoAlbums: DemoAlbum[] = [
  {
    artist: 'Amélie Sorel',
    album: 'Lumière du Nord',
    year: 2019,
    genre: 'Ambient',
    hue: 200,
    tracks: ['Aube', 'Verglas', 'Les Phares', 'Nuit Blanche'],
  },
  {
    artist: 'Amélie Sorel',
    album: 'Café des Ondes',
    year: 2022,
    genre: 'Ambient',
    hue: 30,
    tracks: ['Crème', 'Passage Vivienne', 'Soleil Bas', 'Dernier Métro'],
  },
  {
    artist: 'Sólveig Rún',
    album: 'Ísland Mists',
    year: 2018,
    genre: 'Electronic',
    hue: 170,
    tracks: ['Hafið', 'Glacier Hum', 'Norðurljós', 'Black Sand'],
  },
  {
    artist: 'Sólveig Rún',
    album: 'Fjörður',
    year: 2021,
    genre: 'Electronic',
    hue: 260,
    tracks: ['Steam Vents', 'Midnight Sun', 'Puffin Parade', 'Lava Fields'],
  },
  {
    artist: 'The Night Owls',
    album: 'After Hours',
    year: 2016,
    genre: 'Jazz',
    hue: 280,
    tracks: ['Blue Lantern', 'Smoke Rings', 'Last Call', 'Velvet Stairs'],
  },
  {
    artist: 'The Night Owls',
    album: 'Rooftop Sessions',
    year: 2020,
    genre: 'Jazz',
    hue: 330,
    tracks: ['Skyline Waltz', 'Pigeon Bop', 'Antenna Blues', 'Fire Escape'],
  },
  {
    artist: 'Kito & Mara',
    album: 'Paper Boats',
    year: 2023,
    genre: 'Folk',
    hue: 90,
    tracks: ['River Mouth', 'Small Hours', 'Kite String', 'Harbour Lights'],
  },
  {
    artist: 'Orquesta Solar',
    album: 'Días de Sol',
    year: 2024,
    genre: 'Latin',
    hue: 45,
    tracks: ['Mañana', 'Cumbia del Faro', 'Arena Dorada', 'Canción Final'],
  },
];
