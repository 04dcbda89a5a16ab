"""The interview as the web sees it, by what each part is.

- :mod:`.steps`: ask the engine for the next step and assess a finished one;
- :mod:`.api_json`: a step as the JSON of ``POST /api/interview``;
- :mod:`.forms`: a submitted HTML screen checked and turned into answers;
- :mod:`.store`: the answers so far, kept on the server per browser session,
  so that Back, Reload and a link away keep them;
- :mod:`.story`: the person's own words read by the free-text intake.

The engine decides everything clinical; these modules only translate.
"""
