document.documentElement.setAttribute("data-ca-timeline", "drawn");
