import { autocompletion } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Diagnostic, forceLinting, linter, lintGutter } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef, useState } from 'react';
import memorandumSchema from '../../../../rules/memorandum.schema.json';
import { api, ApiProblem, DraftCaseRun, DraftCheck, DraftSource, ReleaseSummary, RuleBase, RuleProblem } from './api';
import { useLanguage } from './i18n';
import { RuleBaseNote } from './rule-base';
import { spanOfPath } from './json-path-offset';
import { MemorandumBody, MemorandumBodyView } from './memorandum-body';
import { Link } from './router';
import { JsonSchema, schemaCompletionSource } from './schema-completion';

/** How long typing pauses before the draft is checked on the server: each check builds a whole rule set. */
const CHECK_DELAY_MS = 500;

type CheckState = { state: 'checking' } | { state: 'checked'; check: DraftCheck } | { state: 'failed'; message: string };
type SubmitState = { state: 'idle' } | { state: 'submitting' } | { state: 'submitted'; release: ReleaseSummary } | { state: 'refused'; code: string; message: string };

/** Where the draft being edited is kept for the other pages (the what-if page reads it): `{ memorandum, file, content }`. */
export const DRAFT_STORAGE_KEY = 'console.draft';

/** The draft as kept in the tab: the rule file's text, and its cases' text when the editor changed them. */
interface KeptDraft {
  content: string;
  cases?: string;
  /** The revision in force when the draft was first opened: a submission after another release took effect is refused (RELEASE.BASE_CHANGED), not allowed to undo it. */
  baseRevision?: string;
}

/** Drops the tab's draft: after it was submitted, and at sign-out. */
export function forgetDraft(): void {
  try {
    sessionStorage.removeItem(DRAFT_STORAGE_KEY);
  } catch {
    // Nothing kept.
  }
}

function keepDraft(source: DraftSource, draft: KeptDraft): void {
  try {
    sessionStorage.setItem(DRAFT_STORAGE_KEY, JSON.stringify({ memorandum: source.memorandum, file: source.file, content: draft.content, ...(draft.cases === undefined ? {} : { cases: draft.cases }), ...(draft.baseRevision === undefined ? {} : { baseRevision: draft.baseRevision }) }));
  } catch {
    // A full or disabled storage only loses the hand-over to the what-if page, never the edit.
  }
}

/** The text this tab was editing for the same file, when it differs from the file as it is now: the draft goes on where the editor left it (after a what-if, say). */
function keptDraft(source: DraftSource): KeptDraft | undefined {
  try {
    const kept = JSON.parse(sessionStorage.getItem(DRAFT_STORAGE_KEY) ?? 'null') as { memorandum?: unknown; file?: unknown; content?: unknown; cases?: unknown; baseRevision?: unknown } | null;
    if (!kept || kept.memorandum !== source.memorandum || kept.file !== source.file || typeof kept.content !== 'string') return undefined;
    const cases = typeof kept.cases === 'string' && kept.cases !== source.cases ? kept.cases : undefined;
    const baseRevision = typeof kept.baseRevision === 'string' ? kept.baseRevision : undefined;
    return kept.content !== source.content || cases !== undefined ? { content: kept.content, ...(cases === undefined ? {} : { cases }), ...(baseRevision === undefined ? {} : { baseRevision }) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A memorandum's rule file as a draft: edited in CodeMirror with completion from the rule-file
 * schema, checked as the engine would check it while the editor types (the focused problems
 * marked in the text and listed beside it, the memorandum rendered from the draft beside the
 * editor), its rule cases run on demand, submitted as a release draft for approval. The text is
 * kept in sessionStorage for the what-if page.
 */
export function DraftPage({ id }: { id: string }) {
  const { t, language } = useLanguage();
  const [source, setSource] = useState<DraftSource | null>(null);
  const [check, setCheck] = useState<CheckState>({ state: 'checking' });
  // The rule set in force as the last check found it: a release taking effect while the draft is open changes it.
  const [baseNow, setBaseNow] = useState<RuleBase | null>(null);
  // The last rendering of an accepted text: kept while the draft has errors, so the view does not blink away with each typo.
  const [rendered, setRendered] = useState<{ view: MemorandumBodyView; stale: boolean } | null>(null);
  const [run, setRun] = useState<DraftCaseRun | 'running' | null>(null);
  const [notes, setNotes] = useState('');
  const [submit, setSubmit] = useState<SubmitState>({ state: 'idle' });
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageNow = useRef(language);
  languageNow.current = language;

  // The file as the server gives it, for "discard my changes" when the draft was resumed from this tab.
  const original = useRef<{ content: string; cases: string }>({ content: '', cases: '' });
  const [resumed, setResumed] = useState(false);
  const draftedOn = useRef<string | undefined>(undefined);
  // The rule file or its cases: two editors, one shown at a time.
  const [tab, setTab] = useState<'rules' | 'cases'>('rules');
  const casesHost = useRef<HTMLDivElement>(null);
  const casesView = useRef<EditorView | null>(null);

  /** The cases' text when the editor changed it (the server then checks and runs the draft's own cases); undefined: the cases in force. */
  const editedCases = (): string | undefined => {
    const text = casesView.current?.state.doc.toString();
    return text === undefined || text === original.current.cases ? undefined : text;
  };

  useEffect(() => {
    void api.draft(id).then((opened) => {
      original.current = { content: opened.content, cases: opened.cases };
      const kept = keptDraft(opened);
      draftedOn.current = kept?.baseRevision ?? opened.base.revision;
      setResumed(kept !== undefined);
      setSource(kept === undefined ? opened : { ...opened, content: kept.content, cases: kept.cases ?? opened.cases });
    });
  }, [id]);

  useEffect(() => {
    if (!source || !host.current) return;
    const syntax = jsonParseLinter();
    // Only the latest check speaks: an answer to an older text would list problems already fixed.
    let latest = 0;
    const focused = async (editor: EditorView): Promise<Diagnostic[]> => {
      const text = editor.state.doc.toString();
      const asked = ++latest;
      setCheck({ state: 'checking' });
      try {
        const answer = await api.checkDraft(source.file, text, editedCases());
        if (asked !== latest) return [];
        setCheck({ state: 'checked', check: answer });
        setBaseNow(answer.base);
        setRendered((last) => (answer.view ? { view: answer.view, stale: false } : last && { ...last, stale: true }));
        return [...answer.errors, ...answer.warnings].filter((p) => p.file === source.file).map((p) => ({ ...spanOfPath(text, p.path), severity: p.severity, source: p.code, message: problemLine(p) }));
      } catch (error) {
        if (asked === latest) setCheck({ state: 'failed', message: (error as Error).message });
        return [];
      }
    };
    const completion = schemaCompletionSource(memorandumSchema as unknown as JsonSchema, () => source.vocabulary, () => languageNow.current);
    const keep = () => keepDraft(source, { content: view.current?.state.doc.toString() ?? source.content, cases: editedCases(), baseRevision: draftedOn.current });
    keepDraft(source, { content: source.content, cases: source.cases === original.current.cases ? undefined : source.cases, baseRevision: draftedOn.current });
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: source.content,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          json(),
          syntaxHighlighting(defaultHighlightStyle),
          // Its keymap (arrows, Enter, Escape, Ctrl-Space) comes with it, ahead of the default one.
          autocompletion({ override: [completion] }),
          lintGutter(),
          linter(syntax),
          linter(focused, { delay: CHECK_DELAY_MS }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) keep();
          }),
        ],
      }),
    });
    view.current = editor;
    // The cases' editor: JSON, and a change re-checks the draft (the cases' problems and the overlap warnings depend on them).
    const casesEditor = casesHost.current
      ? new EditorView({
          parent: casesHost.current,
          state: EditorState.create({
            doc: source.cases,
            extensions: [
              lineNumbers(),
              history(),
              keymap.of([...defaultKeymap, ...historyKeymap]),
              json(),
              syntaxHighlighting(defaultHighlightStyle),
              lintGutter(),
              linter(syntax),
              EditorView.updateListener.of((update) => {
                if (!update.docChanged) return;
                keep();
                forceLinting(editor);
              }),
            ],
          }),
        })
      : null;
    casesView.current = casesEditor;
    return () => {
      editor.destroy();
      casesEditor?.destroy();
      view.current = null;
      casesView.current = null;
    };
  }, [source]);

  if (!source) return <p className="loading">{t.loading}</p>;
  const runCases = async () => {
    if (!view.current) return;
    setRun('running');
    try {
      setRun(await api.runDraftCases(source.file, view.current.state.doc.toString(), editedCases()));
    } catch {
      // The button comes back (the check beside it says what the server answered): a failed run is not left running.
      setRun(null);
    }
  };
  const submitDraft = async () => {
    if (!view.current) return;
    setSubmit({ state: 'submitting' });
    try {
      const release = await api.submitDraft(source.file, view.current.state.doc.toString(), notes, editedCases(), draftedOn.current);
      setSubmit({ state: 'submitted', release });
      // Submitted: it is a release draft now, not an edit to resume (the what-if page can still run the release).
      forgetDraft();
    } catch (error) {
      setSubmit({ state: 'refused', code: error instanceof ApiProblem ? error.code : 'UNKNOWN', message: (error as Error).message });
    }
  };
  const discardChanges = () => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: original.current.content } });
    const cases = casesView.current;
    cases?.dispatch({ changes: { from: 0, to: cases.state.doc.length, insert: original.current.cases } });
    draftedOn.current = source.base.revision;
    setResumed(false);
  };
  const problems = check.state === 'checked' ? [...check.check.errors, ...check.check.warnings] : [];

  return (
    <article>
      <p className="document-number">
        <Link to={`/memoranda/${encodeURIComponent(id)}`}>← {t.backToMemorandum}</Link>
      </p>
      <h1 data-testid="draft-title">
        {t.draftOf} <code>{source.file}</code>
      </h1>
      <p className="document-number">
        <RuleBaseNote base={source.base} testId="draft-base" />
      </p>
      {baseNow && baseNow.revision !== source.base.revision && (
        <p className="notice error" data-testid="draft-base-changed">
          {t.draftBaseChanged} <RuleBaseNote base={baseNow} testId="draft-base-now" />
        </p>
      )}
      <p className="notice" data-testid="draft-not-saved">
        {t.draftNotSaved}
      </p>
      {resumed && (
        <p className="notice" data-testid="draft-resumed">
          {t.draftResumed}{' '}
          <button type="button" onClick={discardChanges} data-testid="draft-discard">
            {t.discardChanges}
          </button>
        </p>
      )}
      <p>
        <Link to="/what-if?source=draft" testId="draft-what-if">
          {t.whatIfWithDraft} →
        </Link>
      </p>
      <div className="draft">
        <div className="editor-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'rules'} className={tab === 'rules' ? 'selected' : ''} onClick={() => setTab('rules')} data-testid="draft-tab-rules">
            {t.ruleFileTab} <code>{source.file}</code>
          </button>
          <button type="button" role="tab" aria-selected={tab === 'cases'} className={tab === 'cases' ? 'selected' : ''} onClick={() => setTab('cases')} data-testid="draft-tab-cases">
            {t.casesFileTab} <code>{source.casesFile}</code>
          </button>
        </div>
        <div className="editor" ref={host} data-testid="draft-editor" hidden={tab !== 'rules'} />
        <div className="editor" ref={casesHost} data-testid="draft-cases-editor" hidden={tab !== 'cases'} />
        <aside className="draft-check">
          <h2>{t.checkResult}</h2>
          <p data-testid="draft-status" className={check.state === 'checked' && !check.check.accepted ? 'error' : ''}>
            {check.state === 'checking' ? t.checking : check.state === 'failed' ? check.message : check.check.accepted ? (check.check.warnings.length ? t.acceptedWithWarnings : t.noErrors) : `${t.refused} (${check.check.refusal})`}
          </p>
          <ul className="problems">
            {problems.map((p, index) => (
              <li key={index} className={p.severity} data-testid="draft-problem">
                <code>{p.code}</code> <span className="path">{p.file === source.file ? p.path : `${p.file} ${p.path}`}</span>
                <div>{p.message}</div>
                {p.value !== undefined && (
                  <div>
                    {t.valueWritten}: “<code>{typeof p.value === 'string' ? p.value : JSON.stringify(p.value)}</code>”
                  </div>
                )}
                {p.suggestion && (
                  <div data-testid="draft-suggestion">
                    {t.didYouMean} “<code>{p.suggestion}</code>”
                  </div>
                )}
              </li>
            ))}
          </ul>
          <button type="button" className="primary" onClick={runCases} disabled={run === 'running'} data-testid="run-draft-cases">
            {t.runCases}
          </button>
          {run && run !== 'running' && <CaseResults run={run} />}
          <form
            className="submit-draft"
            onSubmit={(event) => {
              event.preventDefault();
              void submitDraft();
            }}
          >
            <label>
              {t.releaseNotes}
              <textarea value={notes} onChange={(event) => setNotes(event.target.value)} rows={3} maxLength={10_000} data-testid="draft-release-notes" />
            </label>
            <button type="submit" className="primary" disabled={submit.state === 'submitting'} data-testid="submit-draft">
              {submit.state === 'submitting' ? t.submitting : t.submitDraft}
            </button>
            {submit.state === 'submitted' && (
              <p data-testid="draft-submitted">
                {t.submittedAs} <strong data-testid="draft-submitted-version">{submit.release.version}</strong>（{t.awaitingApproval}）·{' '}
                <Link to="/releases" testId="draft-submitted-releases">
                  {t.seeReleases}
                </Link>
              </p>
            )}
            {submit.state === 'refused' && (
              <p className="error" role="alert" data-testid="draft-submit-error">
                {submit.code}: {submit.message}
              </p>
            )}
          </form>
        </aside>
        <section className="draft-view" data-testid="draft-view">
          <h2>{t.renderedView}</h2>
          {!rendered && <p className="loading">{t.renderedPending}</p>}
          {rendered?.stale && (
            <p className="notice" data-testid="draft-view-stale">
              {t.renderedStale}
            </p>
          )}
          {rendered && <MemorandumBody memorandum={rendered.view} />}
        </section>
      </div>
    </article>
  );
}

function CaseResults({ run }: { run: DraftCaseRun }) {
  const { t } = useLanguage();
  if (!run.accepted) return <p className="error" data-testid="draft-cases-refused">{t.casesNotRun}</p>;
  return (
    <table data-testid="draft-cases-table">
      <thead>
        <tr>
          <th>{t.result}</th>
          <th>{t.note}</th>
        </tr>
      </thead>
      <tbody>
        {run.cases.map((c, index) => (
          <tr key={index} className={c.passed ? 'passed' : 'failed'}>
            <td className="nowrap">{c.passed ? `✓ ${t.passed}` : `✗ ${t.failed}`}</td>
            <td>
              {c.note}
              {[...(c.error ? [c.error] : []), ...c.missing.map((m) => `− ${m}`), ...c.unexpected.map((u) => `+ ${u}`)].map((line) => (
                <pre key={line}>{line}</pre>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function problemLine(problem: RuleProblem): string {
  return `${problem.code}: ${problem.message}${problem.suggestion ? ` → ${problem.suggestion}` : ''}`;
}
