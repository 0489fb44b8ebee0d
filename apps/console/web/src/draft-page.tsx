import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef, useState } from 'react';
import { api, DraftCaseRun, DraftCheck, DraftSource, RuleProblem } from './api';
import { useLanguage } from './i18n';
import { spanOfPath } from './json-path-offset';
import { Link } from './router';

/** How long typing pauses before the draft is checked on the server: each check builds a whole rule set. */
const CHECK_DELAY_MS = 500;

type CheckState = { state: 'checking' } | { state: 'checked'; check: DraftCheck } | { state: 'failed'; message: string };

/**
 * A memorandum's rule file as a draft: edited in CodeMirror, checked as the engine would check it
 * while the editor types (the focused problems marked in the text and listed beside it), its rule
 * cases run on demand. Nothing is saved yet.
 */
export function DraftPage({ id }: { id: string }) {
  const { t } = useLanguage();
  const [source, setSource] = useState<DraftSource | null>(null);
  const [check, setCheck] = useState<CheckState>({ state: 'checking' });
  const [run, setRun] = useState<DraftCaseRun | 'running' | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);

  useEffect(() => {
    void api.draft(id).then(setSource);
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
        const answer = await api.checkDraft(source.file, text);
        if (asked !== latest) return [];
        setCheck({ state: 'checked', check: answer });
        return [...answer.errors, ...answer.warnings].filter((p) => p.file === source.file).map((p) => ({ ...spanOfPath(text, p.path), severity: p.severity, source: p.code, message: problemLine(p) }));
      } catch (error) {
        if (asked === latest) setCheck({ state: 'failed', message: (error as Error).message });
        return [];
      }
    };
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: source.content,
        extensions: [lineNumbers(), history(), keymap.of([...defaultKeymap, ...historyKeymap]), json(), syntaxHighlighting(defaultHighlightStyle), lintGutter(), linter(syntax), linter(focused, { delay: CHECK_DELAY_MS })],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, [source]);

  if (!source) return <p className="loading">{t.loading}</p>;
  const runCases = async () => {
    if (!view.current) return;
    setRun('running');
    setRun(await api.runDraftCases(source.file, view.current.state.doc.toString()));
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
      <p className="notice" data-testid="draft-not-saved">
        {t.draftNotSaved}
      </p>
      <div className="draft">
        <div className="editor" ref={host} data-testid="draft-editor" />
        <aside>
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
        </aside>
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
