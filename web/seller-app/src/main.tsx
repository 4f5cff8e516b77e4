import { render } from 'preact';
import { App } from './app';
import { preferredLang, switchLanguage } from './i18n';
import './styles.css';

// The remembered language's catalogue first (Kiswahili is its own chunk), so the first paint is in that language.
void switchLanguage(preferredLang(), false).finally(() => render(<App />, document.getElementById('app')!));
