const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** A generated album cover: a two-colour gradient with the album and artist names. */
export function renderCover(album: string, artist: string, hue: number): Uint8Array {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" viewBox="0 0 300 300">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="hsl(${hue} 70% 55%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360} 65% 30%)"/>
</linearGradient></defs>
<rect width="300" height="300" fill="url(#g)"/>
<circle cx="230" cy="70" r="46" fill="hsl(${(hue + 180) % 360} 80% 85%)" opacity="0.35"/>
<text x="24" y="232" font-family="sans-serif" font-size="26" font-weight="700" fill="#fff">${escapeXml(album)}</text>
<text x="24" y="266" font-family="sans-serif" font-size="18" fill="#fff" opacity="0.85">${escapeXml(artist)}</text>
</svg>`;
  return new TextEncoder().encode(svg);
}
