// Typical Coder scenes (a bar chart, geometry, text), shared by the determinism test and the
// render benchmark. Fixed content: their pixel hashes are committed as golden values.
const open = (width: number, height: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`;

export function barChartSvg(): string {
  const values = [12, 30, 22, 41, 17, 35];
  const bars = values.map((value, index) => {
    const x = 50 + index * 55;
    const top = 250 - value * 5;
    return `<rect x="${x}" y="${top}" width="40" height="${value * 5}" fill="hsl(${index * 60},60%,50%)"/>
  <text x="${x + 20}" y="270" font-size="12" text-anchor="middle">Q${index + 1}</text>
  <text x="${x + 20}" y="${top - 4}" font-size="11" text-anchor="middle">${value}</text>`;
  });
  const ticks = [0, 10, 20, 30, 40].map(
    (tick) => `<text x="38" y="${254 - tick * 5}" font-size="10" text-anchor="end">${tick}</text>`,
  );
  return `${open(400, 300)}
  <rect width="400" height="300" fill="#fafafa"/>
  <text x="200" y="24" font-size="16" font-weight="bold" text-anchor="middle">Quarterly sales</text>
  <line x1="45" y1="250" x2="390" y2="250" stroke="black"/><line x1="45" y1="40" x2="45" y2="250" stroke="black"/>
  ${ticks.join("")}
  ${bars.join("\n  ")}
</svg>`;
}

export function geometrySvg(): string {
  return `${open(300, 300)}
  <circle cx="150" cy="150" r="100" fill="none" stroke="#333" stroke-width="2"/>
  <polygon points="150,50 237,200 63,200" fill="rgba(30,120,200,0.35)" stroke="#1e78c8" stroke-width="2"/>
  <path d="M 150 150 L 250 150 A 100 100 0 0 0 220.7 79.3 Z" fill="#e4572e" opacity="0.7"/>
  <line x1="150" y1="150" x2="150" y2="50" stroke="#555" stroke-dasharray="4 3"/>
  <circle cx="150" cy="150" r="3" fill="black"/>
  <text x="155" y="145" font-size="14">O</text><text x="150" y="42" font-size="14" text-anchor="middle">A</text>
  <text x="245" y="215" font-size="14">B</text><text x="45" y="215" font-size="14">C</text>
  <text x="200" y="140" font-size="12">45°</text>
</svg>`;
}

export function textSvg(): string {
  return `${open(240, 120)}
  <text x="10" y="30" font-size="22">Sans 0123</text>
  <text x="10" y="60" font-size="22" font-family="DejaVu Serif" font-weight="bold">Serif bold</text>
  <text x="10" y="90" font-size="20" font-family="'DejaVu Sans Mono'">mono()</text>
  <text x="10" y="112" font-size="14" font-family="Arial, Helvetica">fallback → ∑ é</text>
</svg>`;
}

export const scenes: ReadonlyArray<{ readonly name: string; readonly svg: string }> = [
  { name: "bar chart", svg: barChartSvg() },
  { name: "geometry", svg: geometrySvg() },
  { name: "text", svg: textSvg() },
];
