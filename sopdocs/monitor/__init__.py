"""Website monitoring (SOP monitoring-website, step 2): each OPD website's latest berita,
artikel and agenda, found from its feeds, the WordPress REST API, its sitemaps or the page
itself; the status of each site; the XLSX recap with its history and the numbered laporan
rekapitulasi."""
