// The report page's own script (inlined by src/report/page.ts): draws the charts described in the
// embedded JSON with uPlot, filters the gallery, and reloads a live page while its run is running.
// It reads data only through JSON.parse and writes text only through textContent.
(() => {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const chartHeightPx = 240;
  const tickSpacingPx = 56;
  const charts = [];

  function withAlpha(colour, alphaHex) {
    return colour.length === 7 ? colour + alphaHex : colour;
  }

  function tickPositions(spec, width) {
    const most = Math.max(2, Math.floor(width / tickSpacingPx));
    const every = Math.ceil(spec.x.length / most);
    return spec.x.filter((_, index) => index % every === 0);
  }

  function xAxis(spec) {
    const axis = { label: spec.xLabel, grid: { stroke: "#eef0f3", width: 1 }, ticks: { stroke: "#d0d4da" } };
    if (spec.xTicks === null) return axis;
    const labels = new Map(spec.x.map((value, index) => [value, spec.xTicks[index]]));
    axis.splits = (plot) => tickPositions(spec, plot.bbox.width / devicePixelRatio);
    axis.values = (_plot, splits) => splits.map((value) => labels.get(value) ?? "");
    return axis;
  }

  function seriesOptions(spec) {
    const xLabels =
      spec.xTicks === null ? null : new Map(spec.x.map((value, index) => [value, spec.xTicks[index]]));
    const series = [
      {
        label: "at",
        value: (_plot, value) =>
          value === null ? "–" : xLabels === null ? value : (xLabels.get(value) ?? value),
      },
    ];
    for (const entry of spec.series) {
      series.push({
        label: entry.label,
        stroke: entry.colour,
        width: 2,
        points: { show: true, size: 6, stroke: entry.colour, fill: entry.colour },
        value: (_plot, value) => (value === null ? "–" : value.toFixed(3)),
      });
    }
    const bands = [];
    for (const band of spec.bands) {
      const upper = series.length;
      for (const side of ["high", "low"]) {
        series.push({
          label: `${band.label} (${side})`,
          stroke: withAlpha(band.colour, "66"),
          width: 1,
          dash: [4, 4],
          points: { show: false },
          value: (_plot, value) => (value === null ? "–" : value.toFixed(3)),
        });
      }
      bands.push({ series: [upper, upper + 1], fill: withAlpha(band.colour, "22") });
    }
    return { series, bands };
  }

  // Why padding: points at the first and last x would otherwise be cut in half by the plot's edge.
  function paddedRange(_plot, minimum, maximum) {
    const padding = Math.max((maximum - minimum) * 0.04, 0.04);
    return [minimum - padding, maximum + padding];
  }

  function yTickText(_plot, splits) {
    return splits.map((value) => (value === null ? "" : String(Number(value.toPrecision(4)))));
  }

  const wholeNumberSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

  function drawChart(element, spec) {
    const { series, bands } = seriesOptions(spec);
    const yAxis = {
      incrs: spec.yWholeNumbers ? wholeNumberSteps : undefined,
      label: spec.yLabel,
      size: 60,
      values: yTickText,
      grid: { stroke: "#eef0f3", width: 1 },
      ticks: { stroke: "#d0d4da" },
    };
    const options = {
      width: Math.max(280, element.clientWidth),
      height: chartHeightPx,
      scales: {
        x: { time: false, range: paddedRange },
        y: spec.yRange === null ? {} : { range: spec.yRange },
      },
      axes: [xAxis(spec), yAxis],
      series,
      bands,
      legend: { live: true },
      cursor: { points: { size: 8 } },
    };
    const columns = [spec.x, ...spec.series.map((entry) => entry.values)];
    for (const band of spec.bands) columns.push(band.upper, band.lower);
    const plot = new uPlot(options, columns, element);
    // The interval bounds are drawn as a shaded band; their legend rows would only repeat it.
    const legendRows = plot.root.querySelectorAll(".u-legend .u-series");
    for (let index = 1 + spec.series.length; index < legendRows.length; index++)
      legendRows[index].style.display = "none";
    charts.push({ element, plot });
  }

  for (const element of document.querySelectorAll("[data-chart]")) {
    const spec = data.charts[element.dataset.chart];
    if (spec !== undefined) drawChart(element, spec);
  }

  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const { element, plot } of charts)
        plot.setSize({ width: Math.max(280, element.clientWidth), height: chartHeightPx });
    }, 150);
  });

  // Gallery filters: each select narrows the cards by one data attribute; the choice survives a live reload.
  const filterStorageKey = "mmzero-report-filters";
  const filters = [...document.querySelectorAll("[data-gallery-filter]")];
  const cards = [...document.querySelectorAll("[data-gallery-card]")];
  const countElement = document.getElementById("gallery-count");

  function applyFilters() {
    let shown = 0;
    for (const card of cards) {
      const visible = filters.every(
        (select) => select.value === "" || card.dataset[select.dataset.galleryFilter] === select.value,
      );
      card.hidden = !visible;
      if (visible) shown += 1;
    }
    if (countElement !== null) countElement.textContent = `${shown} of ${cards.length} shown`;
    try {
      sessionStorage.setItem(filterStorageKey, JSON.stringify(filters.map((select) => select.value)));
    } catch {
      // Storage can be disabled (private windows, file: policies); filters then reset on reload.
    }
  }

  try {
    const saved = JSON.parse(sessionStorage.getItem(filterStorageKey) ?? "[]");
    filters.forEach((select, index) => {
      if (
        typeof saved[index] === "string" &&
        [...select.options].some((option) => option.value === saved[index])
      )
        select.value = saved[index];
    });
  } catch {
    // Nothing saved, or storage unavailable.
  }
  for (const select of filters) select.addEventListener("change", applyFilters);
  applyFilters();

  if (data.refreshSeconds !== null && (data.status === "running" || data.status === "empty")) {
    setTimeout(() => location.reload(), data.refreshSeconds * 1000);
  }
})();
